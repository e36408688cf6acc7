"""Import of official files into validated Parquet."""
