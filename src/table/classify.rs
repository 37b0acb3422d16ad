//! Classifying columns and rows of a table as labels, counts, percentages, rates, estimates or
//! extremes.
