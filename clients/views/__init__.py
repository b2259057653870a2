"""Views of the clients app (thin: access → form → service → redirect/render)."""
