: Neurite test point process: AFTER SOLVE copies v into x (a NetCon may watch
: x, as a threshold source), BEFORE STEP integrates v and toggles a square-wave
: current every `per` ms, reading t where NEURON runs BEFORE STEP.

NEURON {
    POINT_PROCESS BaProbe
    NONSPECIFIC_CURRENT i
    RANGE amp, per, x, acc, n, tk, on
}

UNITS {
    (mV) = (millivolt)
    (nA) = (nanoamp)
}

PARAMETER {
    amp = 0.05 (nA)
    per = 2.0137 (ms)
}

ASSIGNED {
    v (mV)
    i (nA)
    x (mV)
    acc (mV ms)
    n
    tk (ms)
    on
}

INITIAL {
    x = v
    acc = 0
    n = 0
    tk = per
    on = 0
}

BREAKPOINT {
    i = -amp*on
}

AFTER SOLVE {
    x = v
}

BEFORE STEP {
    acc = acc + v*dt
    if (t >= tk) {
        on = 1 - on
        tk = tk + per
        n = n + 1
    }
}
