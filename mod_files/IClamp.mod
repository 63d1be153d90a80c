TITLE IClamp: a current pulse injected through an electrode

COMMENT
Injects amp (nA) from t = del for dur ms; positive amp depolarises.
Neurite's own; names as NEURON's built-in IClamp. The at_time calls tell a
variable-step integrator where the pulse edges are.
ENDCOMMENT

NEURON {
    POINT_PROCESS IClamp
    RANGE del, dur, amp, i
    ELECTRODE_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
}

PARAMETER {
    del (ms)
    dur (ms) <0, 1e9>
    amp (nA)
}

ASSIGNED {
    i (nA)
}

INITIAL {
    i = 0
}

BREAKPOINT {
    at_time(del)
    at_time(del + dur)
    if (t >= del && t < del + dur) {
        i = amp
    } else {
        i = 0
    }
}
