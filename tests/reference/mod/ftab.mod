: Neurite test mechanism: FUNCTION_TABLEs, whose values HOC gives with
: table_<name>_ftab(...): one of v from a pair of Vectors, a constant, and one
: of two arguments (v, celsius) from a grid with sizes and bounds.

NEURON {
    SUFFIX ftab
    NONSPECIFIC_CURRENT i
    RANGE g, e, fg, fk, fm
}

UNITS {
    (mV) = (millivolt)
    (mA) = (milliamp)
    (S) = (siemens)
}

PARAMETER {
    g = 0.0004 (S/cm2)
    e = -30 (mV)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
    celsius (degC)
    fg
    fk
    fm
}

FUNCTION_TABLE gtab(v (mV))
FUNCTION_TABLE kconst(v (mV))
FUNCTION_TABLE m2(v (mV), c (degC))

BREAKPOINT {
    fg = gtab(v)
    fk = kconst(v + 10)
    fm = m2(v, celsius)
    i = g*(fg + fk + 0.1*fm)*(v - e)
}
