COMMENT
Neurite test mechanism: a file-level LOCAL (vol) and a GLOBAL (gmax) assigned
in INITIAL from each instance's diam and read in BREAKPOINT. NEURON keeps both
in one C variable for all instances, so after INITIAL every instance reads what
the last instance wrote.
ENDCOMMENT

NEURON {
    SUFFIX sharevol
    NONSPECIFIC_CURRENT i
    RANGE gain, seen
    GLOBAL gmax
}

PARAMETER {
    gain = 1e-5 (S/cm2)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    diam (um)
    seen
    gmax (S/cm2)
}

LOCAL vol

INITIAL {
    vol = diam*diam
    gmax = gain*diam
    seen = vol
}

BREAKPOINT {
    seen = vol
    i = gmax*(v + 70)*vol/400
}
