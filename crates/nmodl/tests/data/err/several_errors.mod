NEURON {
    SUFFIX twoerrs
}

PARAMETER {
    gbar = (S/cm2)
}

ASSIGNED {
    v (mV)
    i (mA/cm2)
}

BREAKPOINT {
    i = gbar * 
}

PROCEDURE ok() {
    v = 1
}

FUNCTION f(x) {
    f = x +* 2
}
