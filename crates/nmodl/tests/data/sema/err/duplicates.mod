: a name declared twice, and a PROCEDURE name used as a variable
NEURON { SUFFIX dup }
PARAMETER { g = 1 }
ASSIGNED { v i g }
STATE { rates }
PROCEDURE rates() { }
