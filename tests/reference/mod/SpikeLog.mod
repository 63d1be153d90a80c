COMMENT
A test point process for Neurite: counts the upward crossings of `thresh` by
the membrane potential and, when a Vector is given with `keep(vec)`, appends the
time of each crossing to it. The Vector is kept in an ASSIGNED variable by the
C idiom of NEURON's spike counters (the Vector pointer stored in a double,
read back with a C++ cast, resized with `vector_resize` and written through
`vector_vec`), so Neurite's translation of that C is checked against NEURON.
ENDCOMMENT

NEURON {
    POINT_PROCESS SpikeLog
    RANGE count, thresh, last, above
}

UNITS {
    (mV) = (millivolt)
}

PARAMETER {
    thresh = -10 (mV)
}

ASSIGNED {
    v (mV)
    count
    last (ms)
    above
    store
}

INITIAL {
    count = 0
    above = 0
VERBATIM
    if (auto* vec = *reinterpret_cast<IvocVect**>(&store)) {
        vector_resize(vec, 0);
    }
ENDVERBATIM
    watch_v()
}

BREAKPOINT {
    SOLVE watch_v METHOD after_cvode
}

PROCEDURE watch_v() {
VERBATIM
    if (v >= thresh && !above) {
        int k;
        double* data;
        above = 1;
        last = t;
        count += 1.;
        if (auto* vec = *reinterpret_cast<IvocVect**>(&store)) {
            k = static_cast<int>(count);
            vector_resize(vec, k);
            data = vector_vec(vec);
            data[k - 1] = last;
        }
    }
    if (above && v < thresh && t > last) {
        above = 0;
    }
ENDVERBATIM
}

PROCEDURE keep() {
VERBATIM
    auto* slot = reinterpret_cast<IvocVect**>(&store);
    *slot = nullptr;
    if (ifarg(1)) {
        *slot = vector_arg(1);
    }
ENDVERBATIM
}
