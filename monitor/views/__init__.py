"""Figure builders: plain data in, pydeck decks / plotly figures / tables out."""
