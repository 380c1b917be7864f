"""The closed feedback loop: requests and complaints tracked to done, requesters told."""
