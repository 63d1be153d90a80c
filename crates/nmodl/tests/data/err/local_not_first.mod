NEURON { SUFFIX loc }
PROCEDURE p() {
  LOCAL a
  LOCAL b
  a = 1 b = 2
}
