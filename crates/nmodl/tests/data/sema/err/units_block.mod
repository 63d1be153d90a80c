: a unit the database does not know, in the UNITS block
NEURON { SUFFIX ub }
UNITS {
    (mV) = (millivolt)
    FF = (faradays) (kilocoulomb)
    (mS) = (millisiemenz)
}
