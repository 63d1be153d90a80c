TITLE a two-state synapse with a self event and a threshold watch (Neurite test fixture)

NEURON {
    POINT_PROCESS Syn2
    RANGE tau1, tau2, e, i, thresh
    NONSPECIFIC_CURRENT i
    RANGE g
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau1 = 0.1 (ms) <1e-9, 1e9>
    tau2 = 10 (ms) <1e-9, 1e9>
    e = 0 (mV)
    thresh = -20 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
    g (uS)
    factor
    nspike
}

STATE {
    A (uS)
    B (uS)
}

INITIAL {
    LOCAL tp
    A = 0
    B = 0
    nspike = 0
    tp = (tau1*tau2)/(tau2 - tau1) * log(tau2/tau1)
    factor = 1/(-exp(-tp/tau1) + exp(-tp/tau2))
    net_send(0, 1)
}

BREAKPOINT {
    SOLVE state METHOD cnexp
    g = B - A
    i = g*(v - e)
}

DERIVATIVE state {
    A' = -A/tau1
    B' = -B/tau2
}

NET_RECEIVE(weight (uS), tlast (ms)) {
    INITIAL { tlast = -1e9 }
    if (flag == 0) {
        A = A + weight*factor
        B = B + weight*factor
        tlast = t
    } else if (flag == 1) {
        WATCH (v > thresh) 2
    } else if (flag == 2) {
        nspike = nspike + 1
        net_event(t)
    }
}
