: NEURON's own variables that a mod file must not assign, and a prime of a non-STATE
NEURON { SUFFIX asg }
ASSIGNED { v x }
STATE { m }
INITIAL { celsius = 37 }
BREAKPOINT { SOLVE d METHOD cnexp }
DERIVATIVE d { m' = -m x' = 1 }
