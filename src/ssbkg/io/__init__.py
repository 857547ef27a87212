"""What goes in and out: RDF files read (rdf, limits), terms converted between libraries and formats
(terms), and answers written for people and programs (formats, render, terminal)."""
