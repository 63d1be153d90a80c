NEURON {
    POINT_PROCESS FncSyn
    RANGE tau, e, i, total
    NONSPECIFIC_CURRENT i
}
UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}
PARAMETER {
    tau = 2 (ms)
    e = 0 (mV)
}
ASSIGNED {
    v (mV)
    i (nA)
    total
}
STATE {
    g (uS)
}
INITIAL {
    g = 0
    total = 0
}
BREAKPOINT {
    SOLVE state METHOD cnexp
    i = g*(v - e)
}
DERIVATIVE state {
    g' = -g/tau
}
NET_RECEIVE(w (uS), k) {
    INITIAL {
        k = 0
    }
    g = g + w
    k = k + 1
    FOR_NETCONS(w1 (uS), k1) {
        w1 = w1*0.9 + 0.0001*total
        total = total + k1
    }
}
