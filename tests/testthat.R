library(testthat)
library(rkeraslosses)

test_check("rkeraslosses")
