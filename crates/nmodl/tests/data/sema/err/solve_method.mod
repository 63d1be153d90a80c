: cnexp cannot solve a KINETIC block
NEURON { SUFFIX smk }
STATE { c o }
BREAKPOINT { SOLVE kin METHOD cnexp }
KINETIC kin { ~ c <-> o (1, 2) }
