package io.leadscoring.serde.registry;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A concurrent map with a size bound, for the serde's lookup caches. Reads are plain {@link ConcurrentHashMap}
 * reads (the per-record hot path); when full, an insert evicts an arbitrary entry, which costs at most one extra
 * registry request later. Internal to the serde, public only to be shared between its packages.
 */
public final class BoundedCache<K, V> {

    private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();
    private final int capacity;

    public BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    public V get(K key) {
        return map.get(key);
    }

    public void put(K key, V value) {
        if (map.size() >= capacity && !map.containsKey(key)) {
            Iterator<K> it = map.keySet().iterator();
            if (it.hasNext()) {
                it.next();
                it.remove();
            }
        }
        map.put(key, value);
    }

    /** Not atomic: two threads may both compute a missing value, and the last one wins. */
    public V computeIfAbsent(K key, Function<? super K, ? extends V> compute) {
        V value = map.get(key);
        if (value == null) {
            value = compute.apply(key);
            if (value != null) {
                put(key, value);
            }
        }
        return value;
    }

    public void remove(K key) {
        map.remove(key);
    }

    public void clear() {
        map.clear();
    }

    public int size() {
        return map.size();
    }
}
