: a DESTRUCTOR in a density mechanism, `celcius`, an ion variable as a CONSTANT
NEURON { SUFFIX mr USEION k READ ek }
CONSTANT { ek = -90 }
PARAMETER { celcius = 6.3 }
ASSIGNED { v x }
DESTRUCTOR { x = celcius }
