NEURON {
    SUFFIX tab
}

ASSIGNED { minf }

PROCEDURE rates(v) {
    TABLE minf FROM -100 TO 100
    minf = v
}
