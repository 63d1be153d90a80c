: A derivative read as a value later in its DERIVATIVE block, solved by
: euler as neurodamus' Glia.mod does (Neurite's reference case,
: tests/reference/pointer_reference.py).
NEURON {
    POINT_PROCESS PrimeRead
    RANGE tau, tau2
}
PARAMETER {
    tau = 3 (ms)
    tau2 = 5 (ms)
}
STATE {
    c
    d
}
INITIAL {
    c = 1
    d = 0
}
BREAKPOINT {
    SOLVE eu METHOD euler
}
DERIVATIVE eu {
    c' = -c/tau
    d' = -0.5*c' - d/tau2
}
