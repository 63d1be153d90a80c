TITLE capulse: an inward calcium current during a time window (Neurite test file)

NEURON {
    SUFFIX capulse
    USEION ca WRITE ica
    RANGE amp, del, dur
}

UNITS {
    (mA) = (milliamp)
}

PARAMETER {
    amp = 0.002 (mA/cm2)
    del = 2 (ms)
    dur = 10 (ms)
}

ASSIGNED {
    ica (mA/cm2)
}

BREAKPOINT {
    if (t >= del && t < del + dur) {
        ica = -amp
    } else {
        ica = 0
    }
}
