: Events at the times held in a hoc Vector (Neurite test fixture for the VERBATIM idiom)

NEURON {
    ARTIFICIAL_CELL VecPlay
    POINTER ptr
}

ASSIGNED {
    index
    etime (ms)
    ptr
}

VERBATIM
#include <stdio.h>
/* the Vector is kept in the POINTER's slot */
ENDVERBATIM

INITIAL {
    index = 0
    element()
    if (index > 0) { net_send(etime - t, 1) }
}

NET_RECEIVE (w) {
    if (flag == 1) {
        net_event(t)
        element()
        if (index > 0) { net_send(etime - t, 1) }
    }
}

PROCEDURE element() {
VERBATIM
    {
        void* vv = *((void**)(&_p_ptr));
        int i = (int)index;
        if (vv && i >= 0 && i < vector_capacity(vv)) {
            etime = vector_vec(vv)[i];
            index += 1.;
        } else {
            index = -1.;
        }
    }
ENDVERBATIM
}

PROCEDURE play() {
VERBATIM
    void** vv = (void**)(&_p_ptr);
    *vv = (void*)0;
    if (ifarg(1)) {
        *vv = vector_arg(1);
    }
ENDVERBATIM
}
