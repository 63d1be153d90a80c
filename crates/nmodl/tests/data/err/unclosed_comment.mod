NEURON {
    SUFFIX nc
}

COMMENT
This comment never ends.
PARAMETER { g = 1 }
