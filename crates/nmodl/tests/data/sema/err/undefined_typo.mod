: a misspelt parameter and an unknown function (C++ compile of NEURON's output fails)
NEURON {
    SUFFIX leak
    NONSPECIFIC_CURRENT i
    RANGE gbar, e
}
PARAMETER {
    gbar = 0.001
    e = -70
}
ASSIGNED { v i }
BREAKPOINT {
    LOCAL x
    x = gbarr*(v - e)
    i = clamp01(x)
}
