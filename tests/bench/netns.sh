netns_down() { :; }
w_rtt() { :; }
w_flush_rtt() { :; }
