: NEURON needs the SOLVE before the DERIVATIVE block it names
NEURON { SUFFIX so }
STATE { m }
DERIVATIVE states { m' = -m }
BREAKPOINT { SOLVE states METHOD cnexp }
