TITLE NEURON block left open

NEURON {
    SUFFIX leak
    RANGE g

PARAMETER {
    g = 0.001 (S/cm2)
}

BREAKPOINT {
    i = g*(v + 65)
}
