: TABLE outside a FUNCTION/PROCEDURE, two TABLEs in one PROCEDURE, and an
: argument-less FUNCTION_TABLE
NEURON { SUFFIX tb }
ASSIGNED { v y z }
BREAKPOINT {
    TABLE y FROM 0 TO 1 WITH 10
    y = tab()
}
PROCEDURE p(x) {
    TABLE y FROM 0 TO 1 WITH 10
    TABLE z FROM 0 TO 1 WITH 10
    y = x
    z = x
}
FUNCTION_TABLE tab()
