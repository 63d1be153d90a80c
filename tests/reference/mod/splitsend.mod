: C control flow split over VERBATIM blocks around NMODL statements, as the
: BBP Det* synapses write it (Neurite's reference case,
: tests/reference/pointer_reference.py): each NetCon event sends one
: self-event per delay of a Vector given with setdelays(vec); each self-event
: adds to `n` and to `last` its time.
NEURON {
    POINT_PROCESS SplitSend
    RANGE n, last
}
ASSIGNED {
    n
    last (ms)
    space
}
INITIAL {
    n = 0
    last = 0
}
NET_RECEIVE(w) {
    if (flag == 0) {
    VERBATIM
        IvocVect *vv = *((IvocVect**)(&space));
        if (vv && vector_capacity(vv) >= 1) {
            double* dt_el = vector_vec(vv);
            int k;
            for (k = 0; k < vector_capacity(vv); ++k) {
                double next_delay = dt_el[k];
    ENDVERBATIM
                net_send(next_delay, 1)
    VERBATIM
            }
        }
    ENDVERBATIM
    } else {
        n = n + 1
        last = t
    }
}
PROCEDURE setdelays() {
VERBATIM
    void** vv = (void**)(&space);
    *vv = (void*)0;
    if (ifarg(1)) {
        *vv = vector_arg(1);
    }
ENDVERBATIM
}
