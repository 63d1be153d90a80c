TITLE Assorted rarely used NMODL forms, for parser tests

INDEPENDENT { t FROM 0 TO 1 WITH 1 (ms) }

DEFINE NEG -2

NEURON {
    SUFFIX testmisc
    USEION ca READ cai WRITE ica VALENCE 2 REPRESENTS CHEBI:29108
    USEION cl WRITE icl VALENCE -1
    ELECTRODE_CURRENT iel
    EXTERNAL other_var
    RANGE a, b, c
    REPRESENTS NCIT:C17145
}

UNITS {
    (mM) = (milli/liter)
    e = 1.6e-19 (coulomb)
    foot2inch = (foot) -> (inch)
}

CONSTANT {
    Faraday = 96485.309 (coul)
    negc = -1.5
}

PARAMETER {
    a = -70 (mV)
    b
    c[2] (1)
}

STATE {
    x START 0.5 (1)
    y
    z
}

ASSIGNED {
    ica (mA/cm2)
    icl (mA/cm2)
    iel (nA)
    cai (mM)
    v (mV)
}

FUNCTION_TABLE tabf(v (mV), ca (mM)) (/ms)

LINEAR lin SOLVEFOR y, z {
    ~ 2*y + z = a
    ~ y - z = b
}

NONLINEAR nonlin SOLVEFOR x {
    ~ x*x = 2
}

BREAKPOINT {
    SOLVE lin
    SOLVE nonlin
    CONDUCTANCE a USEION ca
    ica = -x^2 + 2^-3^2 - (-x)^2
    icl = !(a > b) && b <= c[0] || a != 1 - -1
    iel = a*b/c[1]*2 - 3 (nA)
    while (a < 0) {
        a = a + 1
    }
    LAG iel BY b
}

INITIAL {
    SOLVE nonlin STEADYSTATE newton
    { x = 1 y = 2 }
}
