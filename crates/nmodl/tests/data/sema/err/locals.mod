: a LOCAL declared twice, and a LOCAL with the name of its FUNCTION's argument
NEURON { SUFFIX loc }
ASSIGNED { v y }
BREAKPOINT {
    LOCAL a, b, a
    a = 1
    b = 2
    y = f(a + b)
}
FUNCTION f(x) {
    LOCAL x
    x = 2
    f = x
}
