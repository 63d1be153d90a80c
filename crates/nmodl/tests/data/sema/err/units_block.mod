: a unit the database does not know, and a unit name redefined, in UNITS blocks
NEURON { SUFFIX ub }
UNITS {
    (mV) = (millivolt)
    FF = (faradays) (kilocoulomb)
    (mS) = (millisiemenz)
}
UNITS {
    (ms) = (millisec)
}
