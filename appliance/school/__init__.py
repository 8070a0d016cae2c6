"""The school this node serves: identity (node id, origin) and look (name, logo, colours)."""
