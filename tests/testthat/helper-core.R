# Tests that need the Python core skip, saying why, where it is not installed;
# CI installs it, so there they all run.
skip_if_no_core <- function() {
  if (!core_available()) skip("the Python core of rkeraslosses is not installed in reticulate's Python")
}

# Seed page 001 / 004: Keras' CategoricalCrossentropy example.
seed_y_true <- rbind(c(0, 1, 0), c(0, 0, 1))
seed_y_pred <- rbind(c(0.05, 0.95, 0), c(0.1, 0.8, 0.1))
