: a USEION variable that is not one of the ion's, and an ion current never declared
NEURON {
    SUFFIX iv
    USEION na READ ena, nao2 WRITE ina
}
ASSIGNED { v ena }
BREAKPOINT { ina = 0.001*(v - ena) }
