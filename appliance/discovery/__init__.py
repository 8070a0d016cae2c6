"""LAN discovery: advertise the node over mDNS/DNS-SD and find nodes from a classroom PC."""

SERVICE_TYPE = "_http._tcp.local."
SUBTYPE = "_mektep._sub._http._tcp.local."
