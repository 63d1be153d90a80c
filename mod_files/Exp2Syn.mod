TITLE Exp2Syn: synaptic conductance as the difference of two exponentials

COMMENT
g = B - A, where A decays with the rise time constant tau1 and B with the decay
time constant tau2 (tau1 < tau2). An event of weight w (uS) adds w*factor to both,
with factor chosen so that the peak of g after one event is exactly w.
The peak of exp(-t/tau2) - exp(-t/tau1) is at tp = tau1*tau2/(tau2 - tau1)*log(tau2/tau1).
tau1 is kept below tau2 (and above zero) so the normalisation stays finite.
Neurite's own; names as NEURON's built-in Exp2Syn.
ENDCOMMENT

NEURON {
    POINT_PROCESS Exp2Syn
    RANGE tau1, tau2, e, i, g
    NONSPECIFIC_CURRENT i
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
}

ASSIGNED {
    v (mV)
    i (nA)
    g (uS)
    factor
}

STATE {
    A (uS)
    B (uS)
}

INITIAL {
    LOCAL tpeak
    if (tau1/tau2 > 0.9999) {
        tau1 = 0.9999*tau2
    }
    if (tau1/tau2 < 1e-9) {
        tau1 = tau2*1e-9
    }
    A = 0
    B = 0
    tpeak = (tau1*tau2)/(tau2 - tau1)*log(tau2/tau1)
    factor = 1/(exp(-tpeak/tau2) - exp(-tpeak/tau1))
}

BREAKPOINT {
    SOLVE decay METHOD cnexp
    g = B - A
    i = g*(v - e)
}

DERIVATIVE decay {
    A' = -A/tau1
    B' = -B/tau2
}

NET_RECEIVE(weight (uS)) {
    A = A + weight*factor
    B = B + weight*factor
}
