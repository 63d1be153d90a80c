: METHOD cnexp on an equation that is not linear in its state: nocmodl
: falls back to derivimplicit (Neurite's reference case,
: tests/reference/pointer_reference.py).
NEURON {
    POINT_PROCESS CnexpNl
    RANGE k
}
PARAMETER {
    k = 0.5 (/ms)
}
STATE {
    x
}
INITIAL {
    x = 42
}
BREAKPOINT {
    SOLVE dx METHOD cnexp
}
DERIVATIVE dx {
    x' = -k*x/(1 + x)
}
