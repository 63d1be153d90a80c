TITLE GapGate: a gap junction gated by the other side's voltage (Neurite test file)

COMMENT
Written for Neurite's reference traces (tests/reference/stp_reference.py): one
side of a gap junction whose open fraction s relaxes towards a sigmoid of vgap,
the voltage the ParallelContext transfer copies from the other cell. INITIAL
reads vgap and the DERIVATIVE block reads it at every step, so the traces show
when the transfer happens: before INITIAL, and after each voltage update
before the states advance (NEURON 9.0.2's nrnthread_v_transfer_).
ENDCOMMENT

NEURON {
    POINT_PROCESS GapGate
    RANGE g, vgap, i, s, sinf0, tau, vh, k
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
    (mV) = (millivolt)
    (uS) = (microsiemens)
}

PARAMETER {
    g = 0.002 (uS)
    tau = 3 (ms)
    vh = -60 (mV)
    k = 4 (mV)
}

ASSIGNED {
    v (mV)
    vgap (mV)
    i (nA)
    sinf
    sinf0
}

STATE {
    s
}

INITIAL {
    rates()
    s = sinf
    sinf0 = sinf
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    i = g*s*(v - vgap)
}

DERIVATIVE states {
    rates()
    s' = (sinf - s)/tau
}

PROCEDURE rates() {
    sinf = 1/(1 + exp(-(vgap - vh)/k))
}
