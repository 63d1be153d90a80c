TITLE heatx: a scalar quantity spreading along the cable like heat (Neurite test file)

COMMENT
u is put in by a source of strength src (zero unless set) and leaks away
with rate k; it spreads along the cable with constant D. The volume per
length is a GLOBAL and the coefficient comes through a FUNCTION of the
segment's diameter, so the coefficient differs between sections.
ENDCOMMENT

NEURON {
    SUFFIX heatx
    RANGE src, u0
    GLOBAL D, w
}

PARAMETER {
    D = 40
    w = 0.5
    k = 0.01 (/ms)
    src = 0
    u0 = 0
}

ASSIGNED {
    diam (um)
}

STATE {
    u
}

INITIAL {
    u = u0
}

BREAKPOINT {
    SOLVE spread METHOD sparse
}

FUNCTION across(d) {
    across = d*d*w
}

KINETIC spread {
    COMPARTMENT w {u}
    LONGITUDINAL_DIFFUSION D*across(diam) {u}
    ~ u << (w*(src - k*u))
}
