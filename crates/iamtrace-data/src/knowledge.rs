//! The reference as the linter's [`Knowledge`].

use iamtrace::lint::{
    ActionId, ActionInfo, KeyInfo, Knowledge, ResourceTypeId, ResourceTypeInfo, ResourceTypeUse, ServiceInfo,
};

use crate::reference::{Action, KeyRef, ServiceReference};

fn info(a: Action<'_>) -> ActionInfo<'_> {
    ActionInfo {
        id: a.id(),
        service: a.service().prefix(),
        name: a.name(),
        access: a.access_level(),
        takes_resource: a.takes_resource(),
    }
}

impl Knowledge for ServiceReference {
    fn service(&self, prefix: &str) -> Option<ServiceInfo<'_>> {
        ServiceReference::service(self, prefix).map(|s| ServiceInfo { prefix: s.prefix(), name: s.name() })
    }

    fn service_prefixes(&self) -> Vec<&str> {
        self.services().map(|s| s.prefix()).collect()
    }

    fn actions(&self, service: &str, name_pattern: &str) -> Vec<ActionInfo<'_>> {
        ServiceReference::service(self, service)
            .map_or_else(Vec::new, |s| s.actions_matching(name_pattern).into_iter().map(info).collect())
    }

    fn resource_types(&self, action: ActionId) -> Vec<ResourceTypeUse> {
        self.action_by_id(action).map_or_else(Vec::new, |a| {
            a.resource_types().map(|u| ResourceTypeUse { id: u.resource_type.id(), required: u.required }).collect()
        })
    }

    fn resource_type(&self, id: ResourceTypeId) -> Option<ResourceTypeInfo<'_>> {
        let rt = self.resource_type_by_id(id)?;
        Some(ResourceTypeInfo {
            service: rt.service().prefix(),
            name: rt.name(),
            arn_formats: rt.arn_formats().collect(),
        })
    }

    fn arn_pattern_fits(&self, pattern: &str, arn_format: &str) -> bool {
        crate::arn_format::pattern_fits(pattern, arn_format)
    }

    fn action_supports_key(&self, action: ActionId, key: &str) -> bool {
        ServiceReference::action_supports_key(self, action, key)
    }

    fn condition_key(&self, key: &str) -> Option<KeyInfo<'_>> {
        ServiceReference::condition_key(self, key).map(|k| KeyInfo {
            name: k.name(),
            ty: k.key_type(),
            global: matches!(k, KeyRef::Global(_)),
            used_as_single_valued: self.is_used_as_single_valued(k.name()),
        })
    }

    fn condition_key_names(&self, prefix: &str) -> Vec<&str> {
        ServiceReference::condition_key_names(self, prefix)
    }

    fn is_undocumented(&self, service: &str, name: &str) -> bool {
        ServiceReference::is_undocumented(self, service, name)
    }
}
