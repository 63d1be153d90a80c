TITLE cadi: a non-linear calcium pool solved by derivimplicit (Neurite test file)

COMMENT
Written for Neurite's reference traces: a calcium pool with quadratic removal
and a voltage-dependent auxiliary state, both non-linear, so that nocmodl's
derivimplicit (Newton on the backward-Euler residual) is exercised.
ENDCOMMENT

NEURON {
    SUFFIX cadi
    USEION ca READ ica WRITE cai
    RANGE tau, k, x
}

UNITS {
    (mM) = (milli/liter)
    (mA) = (milliamp)
}

PARAMETER {
    tau = 20 (ms)
    k = 0.01
    cainf = 1e-4 (mM)
}

ASSIGNED {
    v (mV)
    ica (mA/cm2)
}

STATE {
    cai (mM)
    x
}

INITIAL {
    cai = cainf
    x = 0.5
}

BREAKPOINT {
    SOLVE states METHOD derivimplicit
}

DERIVATIVE states {
    cai' = -k*ica - (cai - cainf)/tau - 0.1*cai*cai
    x' = (1 - x)*x*0.01*(v + 70) - x*x*0.001
}
