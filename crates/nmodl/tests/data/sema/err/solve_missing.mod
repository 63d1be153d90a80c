: SOLVE of a block that does not exist
NEURON { SUFFIX sm }
STATE { m }
BREAKPOINT { SOLVE state METHOD cnexp }
DERIVATIVE states { m' = -m }
