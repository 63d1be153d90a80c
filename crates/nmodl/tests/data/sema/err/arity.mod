: a FUNCTION called with the wrong number of arguments
NEURON { SUFFIX ar }
ASSIGNED { v y }
BREAKPOINT { y = f(v, 2) }
FUNCTION f(x) { f = 2*x }
