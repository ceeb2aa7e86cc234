/**
 * Helpers shared by netrun-cache's modules. This package is not API: its classes may change or
 * disappear in any release without notice. Do not use them from application code.
 */
package com.netrunsystems.cache.internal;
