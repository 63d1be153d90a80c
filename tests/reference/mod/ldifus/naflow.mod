TITLE naflow: sodium accumulation that diffuses along the cable (Neurite test file)

COMMENT
The diffusing STATE is the ion concentration nai itself, so the solver moves
the ion's value between segments. The whole cross section is one compartment.
ENDCOMMENT

NEURON {
    SUFFIX naflow
    USEION na READ ina WRITE nai
    RANGE D
}

UNITS {
    (mM) = (milli/liter)
    (um) = (micron)
    (mA) = (milliamp)
    FARADAY = (faraday) (coulomb)
    PI = (pi) (1)
}

PARAMETER {
    D = 1.2 (um2/ms)
}

ASSIGNED {
    diam (um)
    ina (mA/cm2)
}

STATE {
    nai (mM)
}

BREAKPOINT {
    SOLVE flow METHOD sparse
}

KINETIC flow {
    COMPARTMENT PI*diam*diam/4 {nai}
    LONGITUDINAL_DIFFUSION D*PI*diam*diam/4 {nai}
    ~ nai << (-ina*PI*diam*(1e4)/FARADAY)
}
