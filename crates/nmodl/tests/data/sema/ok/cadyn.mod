TITLE calcium pool with a pump, an ion concentration mechanism (Neurite test fixture)

NEURON {
    SUFFIX capool
    USEION ca READ ica WRITE cai VALENCE 2
    RANGE depth, taur, cainf
}

UNITS {
    (mM) = (milli/liter)
    (mA) = (milliamp)
    (um) = (micron)
    FARADAY = (faraday) (coulomb)
}

PARAMETER {
    depth = 0.1 (um)
    taur = 200 (ms)
    cainf = 1e-4 (mM)
}

ASSIGNED {
    ica (mA/cm2)
    drive (mM/ms)
}

STATE { cai (mM) <1e-8> }

INITIAL { cai = cainf }

BREAKPOINT { SOLVE state METHOD derivimplicit }

DERIVATIVE state {
    drive = -(10000)*ica/(2*FARADAY*depth)
    if (drive <= 0) { drive = 0 }
    cai' = drive + (cainf - cai)/taur
}
