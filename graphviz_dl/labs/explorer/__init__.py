"""The graph explorer's state: a prepared program (:mod:`.program`) and the
walkthrough cursor over it (:mod:`.model`)."""
