"""The evidence report on one alliance: its data (evidence), the HTML page (page) and the network picture (network)."""
