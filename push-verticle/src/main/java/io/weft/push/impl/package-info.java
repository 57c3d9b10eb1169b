/**
 * Details of the safe-push store: the {@code push_messages} document layout and the queries over
 * it, in the Vert.x Mongo client's JSON dialect ({@link io.weft.push.impl.PushDocuments}).
 */
package io.weft.push.impl;
