TITLE ExpSyn: synaptic conductance with an instantaneous rise and exponential decay

COMMENT
Each event arriving through a NetCon adds its weight (uS) to the conductance g,
which then decays with time constant tau: i = g*(v - e).
Neurite's own; names as NEURON's built-in ExpSyn.
ENDCOMMENT

NEURON {
    POINT_PROCESS ExpSyn
    RANGE tau, e, i
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    tau = 0.1 (ms) <1e-9, 1e9>
    e = 0 (mV)
}

ASSIGNED {
    v (mV)
    i (nA)
}

STATE {
    g (uS)
}

INITIAL {
    g = 0
}

BREAKPOINT {
    SOLVE decay METHOD cnexp
    i = g*(v - e)
}

DERIVATIVE decay {
    g' = -g/tau
}

NET_RECEIVE(weight (uS)) {
    g = g + weight
}
