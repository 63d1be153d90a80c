NEURON {
    SUFFIX units
}

PARAMETER {
    gbar = 0.1 (S/cm2
    el = -65 (mV)
}
