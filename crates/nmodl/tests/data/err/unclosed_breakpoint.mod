NEURON {
    SUFFIX open
}

ASSIGNED { x }

BREAKPOINT {
    x = 1

INITIAL {
    x = 0
}

PROCEDURE p() {
    x = 2 +
}
